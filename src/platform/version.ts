/** The version this build reports (API, OpenAPI document, CLI). */
export const version = '0.1.0';
