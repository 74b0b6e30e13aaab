export const placeholder: string = 'axios';
