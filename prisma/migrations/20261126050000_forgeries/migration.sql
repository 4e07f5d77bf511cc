-- Students as counterfeiters: the forge's state on the room, forgeries, and the item a forgery
-- became.

-- AlterTable
ALTER TABLE "Room" ADD COLUMN "forgeOpen" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "Room" ADD COLUMN "forgeStep" INTEGER;

-- AlterTable
ALTER TABLE "Item" ADD COLUMN "forgeryId" TEXT;

-- CreateTable
CREATE TABLE "Forgery" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "roomId" TEXT NOT NULL,
    "playerId" TEXT NOT NULL,
    "step" INTEGER NOT NULL,
    "noise" BLOB NOT NULL,
    "image" BLOB NOT NULL,
    "suspicion" REAL,
    "createdAt" DATETIME NOT NULL,
    CONSTRAINT "Forgery_roomId_fkey" FOREIGN KEY ("roomId") REFERENCES "Room" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Forgery_playerId_fkey" FOREIGN KEY ("playerId") REFERENCES "Player" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "Item_forgeryId_key" ON "Item"("forgeryId");

-- CreateIndex
CREATE INDEX "Forgery_roomId_idx" ON "Forgery"("roomId");
