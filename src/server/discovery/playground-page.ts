/** The HTML of the playground page: a shell that loads the bundled GraphiQL from this server alone. */

/** The page for `GET /graphql` from a browser; `assetsPath` is where the built assets are served (e.g. `/playground`). */
export function playgroundPage(assetsPath: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Dateline GraphQL playground</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${assetsPath}/main.css">
<style>
  html, body, #playground { height: 100%; margin: 0; }
  .dateline-examples { padding: var(--px-16, 16px); overflow-y: auto; }
  .dateline-examples ul { list-style: none; margin: 0; padding: 0; }
  .dateline-example { display: flex; flex-direction: column; gap: 2px; width: 100%; text-align: left; padding: 8px; border-radius: 6px; cursor: pointer; }
  .dateline-example:hover, .dateline-example:focus-visible { background: hsla(var(--color-neutral), var(--alpha-background-light)); }
  .dateline-example span { opacity: 0.75; font-size: 0.9em; }
</style>
</head>
<body>
<div id="playground"><noscript>The Dateline playground needs JavaScript. Without it, POST GraphQL requests to this address.</noscript></div>
<script type="module" src="${assetsPath}/main.js"></script>
</body>
</html>
`;
}
