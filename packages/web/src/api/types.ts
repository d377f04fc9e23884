/** The server's JSON contract lives next to the server; the page only imports its types. */
export type * from "../../../consolation/src/web/web-snapshot.ts";
