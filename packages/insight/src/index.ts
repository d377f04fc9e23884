export const INSIGHT_VERSION = "0.1.0";
