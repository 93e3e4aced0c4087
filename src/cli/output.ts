/** Prints JSON with --json, otherwise the human text. */
export function print(options: { json?: boolean | undefined }, data: unknown, text: () => string): void {
  console.log(options.json ? JSON.stringify(data, null, 2) : text());
}
