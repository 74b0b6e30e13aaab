export const placeholder: string = 'norce';
