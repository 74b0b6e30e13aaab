// `pnpm generate`: the hey-api client for the Norce spec the openapi-fetch example uses.
// @hey-api/openapi-ts needs TypeScript's JS API: typescript 5.9.3 is a devDependency here (the
// workspace's TypeScript 7 has none).
export default {
  input: '../openapi-fetch-typed/openapi/norce.yaml',
  output: { path: 'src/generated/hey-api', importFileExtension: '.ts' },
};
