/** Types for paths.mjs, for the TypeScript tests that import it. */
export declare const repoRoot: string;
export declare const cacheDir: string;
export declare const cargoTargetDir: string;
export declare const rustBinDir: string;
export declare const cargoInstallRoot: string;
export declare const tokioConsoleVersion: string;
export declare const tokioConsoleBin: string;
export declare function nodeBin(major: number): string;
export declare const node22Bin: string;
export declare const node24Bin: string;
