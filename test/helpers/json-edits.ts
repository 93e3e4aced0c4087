/** Single edits of JSON documents, for tests that try every place a document could be changed. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Path = (string | number)[];

/** Every path to a value inside a document (the document itself excluded). */
export function pathsIn(value: Json, prefix: Path = []): Path[] {
  const here = prefix.length ? [prefix] : [];
  if (Array.isArray(value)) return [...here, ...value.flatMap((item, i) => pathsIn(item, [...prefix, i]))];
  if (value && typeof value === 'object')
    return [...here, ...Object.entries(value).flatMap(([k, v]) => pathsIn(v, [...prefix, k]))];
  return here;
}

/** A copy of the document with `change` applied to the holder of the value at `path`, given that value's key. */
export function edited(
  document: Json,
  path: Path,
  change: (parent: Json[] | Record<string, Json>, key: string | number) => void,
): Json {
  const copy = structuredClone(document);
  let parent = copy as Record<string, Json> | Json[];
  for (const key of path.slice(0, -1)) parent = (parent as Record<string, Json>)[key as string] as Record<string, Json>;
  change(parent, path.at(-1)!);
  return copy;
}

/** A copy of the document without the value at `path` (an array's item is spliced out). */
export function removed(document: Json, path: Path): Json {
  return edited(document, path, (parent, key) => {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key as string];
  });
}

/** A copy of the document with the value at `path` replaced. */
export function replaced(document: Json, path: Path, value: Json): Json {
  return edited(document, path, (parent, key) => {
    (parent as Record<string, Json>)[key as string] = value;
  });
}
