// workerd (through wrangler's bundler) turns `import m from '….wasm'` into a compiled module.
declare module '*.wasm' {
  const module: WebAssembly.Module;
  export default module;
}
