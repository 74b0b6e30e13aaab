export const placeholder: string = 'got';
