-- AlterTable
ALTER TABLE "Item" ADD COLUMN     "forgeryId" TEXT;

-- AlterTable
ALTER TABLE "Room" ADD COLUMN     "forgeOpen" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "forgeStep" INTEGER;

-- CreateTable
CREATE TABLE "Forgery" (
    "id" TEXT NOT NULL,
    "roomId" TEXT NOT NULL,
    "playerId" TEXT NOT NULL,
    "step" INTEGER NOT NULL,
    "noise" BYTEA NOT NULL,
    "image" BYTEA NOT NULL,
    "suspicion" DOUBLE PRECISION,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Forgery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Forgery_roomId_idx" ON "Forgery"("roomId");

-- CreateIndex
CREATE UNIQUE INDEX "Item_forgeryId_key" ON "Item"("forgeryId");

-- AddForeignKey
ALTER TABLE "Forgery" ADD CONSTRAINT "Forgery_roomId_fkey" FOREIGN KEY ("roomId") REFERENCES "Room"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Forgery" ADD CONSTRAINT "Forgery_playerId_fkey" FOREIGN KEY ("playerId") REFERENCES "Player"("id") ON DELETE CASCADE ON UPDATE CASCADE;

