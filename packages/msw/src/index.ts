export const placeholder: string = 'msw';
