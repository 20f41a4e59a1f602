export default (req: Request): Promise<Response> =>
  Promise.resolve(Response.json({ via: "default export", pathname: new URL(req.url).pathname }));
