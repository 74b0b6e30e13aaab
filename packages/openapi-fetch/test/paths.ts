// A hand-written openapi-typescript `paths` type for the tests.
export interface paths {
  '/orders/{id}': {
    get: {
      parameters: { path: { id: number } };
      responses: {
        200: { content: { 'application/json': { id: number; note: string } } };
        404: { content: { 'application/json': { message: string } } };
      };
    };
    post: {
      parameters: { path: { id: number } };
      requestBody: { content: { 'application/json': { note: string } } };
      responses: { 200: { content: { 'application/json': { id: number; note: string } } } };
    };
  };
}
