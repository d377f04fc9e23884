/** The server's JSON contract is its own package, shared with `consolation web`; the page only imports its types. */
export type * from "@async-insight/web-contract";
