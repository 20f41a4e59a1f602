export function handler(_req: Request): Promise<Response> {
  throw new Error("fixture failure: do-not-leak-this-detail");
}
