export const placeholder: string = 'openapi-fetch';
