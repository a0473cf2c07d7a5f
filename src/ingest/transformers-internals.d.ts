// transformers.js 2.17 ships declarations for these modules under types/, not next to the files in src/ that its
// package (which has no `exports` map) lets us import.
declare module '@xenova/transformers/src/backends/onnx.js' {
  export * from '@xenova/transformers/types/backends/onnx.js';
}
declare module '@xenova/transformers/src/utils/hub.js' {
  export * from '@xenova/transformers/types/utils/hub.js';
}
declare module '@xenova/transformers/src/utils/data-structures.js' {
  export * from '@xenova/transformers/types/utils/data-structures.js';
}
