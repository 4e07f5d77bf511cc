// Setup shared by the e2e specs: a student's phone joined to a room, a raw socket to the server.
import { expect, type Browser, type Page } from "@playwright/test";
import { io, type Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "../../lib/protocol";

/** A fresh phone-sized browser context that has joined room `code` and waits in the lobby. */
export async function phone(browser: Browser, code: string, nickname: string): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
  });
  const page = await context.newPage();
  await page.goto(`/play/${code}`);
  await page.getByLabel("Nickname").fill(nickname);
  await page.getByRole("button", { name: "Join the game" }).click();
  await expect(page.getByText("Waiting for the teacher")).toBeVisible();
  return page;
}

export type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A typed socket.io client on its own connection, resolved once connected. */
export function connect(baseURL: string): Promise<Client> {
  const socket: Client = io(baseURL, { transports: ["websocket"], forceNew: true });
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", reject);
  });
}
