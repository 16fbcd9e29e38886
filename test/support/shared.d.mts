// Types of shared.mjs (plain JavaScript so the end-to-end driver, also JavaScript, finds ../shared the same way).
export declare const repoRoot: string;
export declare const sharedRoot: string;
export declare function sharedPath(...parts: string[]): string;
export declare function sharedSkip(...parts: string[]): false | string;
