// A module of the app's own, loaded before its main module runs (register-main.mjs).
export const greeting = "hello";
