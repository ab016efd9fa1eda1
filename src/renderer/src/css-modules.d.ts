// Styles that sit next to their component (`Name.module.css`): Vite turns each class into a unique name.
declare module '*.module.css' {
  const classes: Readonly<Record<string, string>>
  export default classes
}
