// orval's set-up for the same Norce spec: `npx -y orval@8.38.0 --config orval.config.mjs`
// regenerates src/generated/orval/norce.ts. orval is not a devDependency here (it brings esbuild,
// whose install script this workspace does not run); the file was generated with orval 8.38.0.
// `tsconfig` makes orval write the `.ts` extension NodeNext needs into its imports.
export default {
  norce: {
    input: '../openapi-fetch-typed/openapi/norce.yaml',
    output: {
      target: './src/generated/orval/norce.ts',
      client: 'axios-functions',
      tsconfig: './tsconfig.json',
      override: { mutator: { path: './src/orval-mutator.ts', name: 'norceRequest' } },
    },
  },
};
