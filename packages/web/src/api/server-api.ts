/** The page's requests to its own server: details on demand, docs, and the commands. */
import { commandHeaders } from "./command-token.ts";
import type { WebHistograms, WebReplayCommand, WebResourceDetail, WebTaskDetail } from "./types.ts";

async function getJson<T>(path: string): Promise<T | undefined> {
  const response = await fetch(path, { headers: { Accept: "application/json" } });
  if (!response.ok) return undefined;
  return (await response.json()) as T;
}

export const fetchTask = (key: string) => getJson<WebTaskDetail>(`/api/task?key=${encodeURIComponent(key)}`);
export const fetchResource = (key: string) => getJson<WebResourceDetail>(`/api/resource?key=${encodeURIComponent(key)}`);
export const fetchHistograms = (key: string) => getJson<WebHistograms>(`/api/histograms?task=${encodeURIComponent(key)}`);

export async function fetchDocs(lint: string): Promise<string | undefined> {
  const response = await fetch(`/api/docs?lint=${encodeURIComponent(lint)}`);
  return response.ok ? response.text() : undefined;
}

/** The custom header is what the server checks to know the command came from this page (and the token, beyond loopback). */
export async function sendCommand(command: "pause" | "resume"): Promise<string | undefined> {
  const response = await fetch(`/api/${command}`, { method: "POST", headers: commandHeaders() });
  if (response.ok) return undefined;
  const body = (await response.json().catch(() => ({}))) as { error?: string };
  return body.error ?? `${command} failed (${response.status})`;
}

/** Playback of a replayed file; the new position arrives with the next snapshot. */
export async function sendReplayCommand(command: WebReplayCommand): Promise<string | undefined> {
  const response = await fetch("/api/replay", {
    method: "POST",
    headers: commandHeaders({ "Content-Type": "application/json" }),
    body: JSON.stringify(command),
  });
  if (response.ok) return undefined;
  const body = (await response.json().catch(() => ({}))) as { error?: string };
  return body.error ?? `${command.action} failed (${response.status})`;
}
