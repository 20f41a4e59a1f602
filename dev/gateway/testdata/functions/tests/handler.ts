// The "tests" folder holds tests and are never served.
export const handler = (): Promise<Response> => Promise.resolve(new Response("must not be served"));
