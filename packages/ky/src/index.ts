export const placeholder: string = 'ky';
