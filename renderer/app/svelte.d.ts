// Lets TypeScript import .svelte components (their own types are checked by the Svelte compiler at build).
declare module '*.svelte' {
  import type { Component } from 'svelte';
  const component: Component<Record<string, unknown>>;
  export default component;
}
