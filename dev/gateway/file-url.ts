// Path <-> file URL without node:path/node:url: importing node: modules makes `deno check` look for
// npm:@types/node, which the import map does not provide.

/** A file URL for a directory path (absolute, or relative to the working directory), ending in "/". */
export function directoryUrl(path: string): URL {
  const absolute = path.startsWith("/") ? path : `${Deno.cwd()}/${path}`;
  const encoded = absolute.split("/").map(encodeURIComponent).join("/");
  return new URL(`file://${encoded.endsWith("/") ? encoded : `${encoded}/`}`);
}

export function filePath(url: URL): string {
  return decodeURIComponent(url.pathname);
}
