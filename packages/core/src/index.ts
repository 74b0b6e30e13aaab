export const placeholder: string = 'core';
