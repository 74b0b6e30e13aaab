export const placeholder: string = 'redis';
