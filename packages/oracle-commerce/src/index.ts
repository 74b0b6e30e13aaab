export const placeholder: string = 'oracle-commerce';
