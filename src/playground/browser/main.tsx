/**
 * The playground page's script: GraphiQL wired to this server, with an "Examples" pane.
 * Bundled by `build-playground-assets.ts` together with its editor workers and styles, so the
 * page loads nothing from any other host.
 */
import 'graphiql/style.css';
import { GraphiQL, HISTORY_PLUGIN } from 'graphiql';
import type { GraphiQLPlugin } from '@graphiql/react';
import { useGraphiQL } from '@graphiql/react';
import { createRoot } from 'react-dom/client';
import { EXAMPLE_OPERATIONS, TIMELINE_EXAMPLE, type ExampleOperation } from '../example-operations';

// Monaco asks this for a worker per language; the workers are bundled beside this script.
window.MonacoEnvironment = {
  getWorker(_workerId, label) {
    const name = label === 'graphql' ? 'graphql' : label === 'json' ? 'json' : 'editor';
    return new Worker(new URL(`./workers/${name}.worker.js`, import.meta.url));
  },
};

/** The GraphQL endpoint is the address this page was served from (GET /graphql). */
const endpoint = window.location.pathname;

/** Sends one operation to this server as JSON over POST and returns its parsed answer. */
async function fetcher(params: { query: string; variables?: unknown; operationName?: string | null }, options?: { headers?: Record<string, unknown> }) {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...(options?.headers as Record<string, string> | undefined) },
    body: JSON.stringify(params),
    credentials: 'same-origin',
  });
  const text = await response.text();
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return { errors: [{ message: `HTTP ${response.status}: ${text.slice(0, 500)}` }] };
  }
}

function variablesText(example: ExampleOperation): string {
  return example.variables ? JSON.stringify(example.variables, null, 2) : '';
}

function ListIcon() {
  return (
    <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.5" aria-hidden="true">
      <path d="M8 6h13M8 12h13M8 18h13M3.5 6h.01M3.5 12h.01M3.5 18h.01" strokeLinecap="round" />
    </svg>
  );
}

/** Lists the example operations; a click puts one, with its variables, into the editors. */
function ExamplesPane() {
  const queryEditor = useGraphiQL((state) => state.queryEditor);
  const variableEditor = useGraphiQL((state) => state.variableEditor);
  const load = (example: ExampleOperation) => {
    queryEditor?.setValue(example.query);
    variableEditor?.setValue(variablesText(example));
  };
  return (
    <section className="dateline-examples" aria-label="Example operations">
      <div className="graphiql-doc-explorer-title">Examples</div>
      <p>Click one to load it into the editor, then press Run. It replaces the current query; History keeps earlier runs.</p>
      <ul>
        {EXAMPLE_OPERATIONS.map((example) => (
          <li key={example.name}>
            <button type="button" className="graphiql-un-styled dateline-example" data-example={example.name} onClick={() => load(example)}>
              <strong>{example.name}</strong>
              <span>{example.description}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

const examplesPlugin: GraphiQLPlugin = { title: 'Examples', icon: ListIcon, content: ExamplesPane };

/** GraphiQL's `plugins` replaces its default list ([History]), so History is named again beside Examples. */
const PLUGINS = [examplesPlugin, HISTORY_PLUGIN];

/** True when this browser has no GraphiQL tabs saved from an earlier visit. */
function firstVisit(): boolean {
  try {
    return window.localStorage.getItem('graphiql:tabState') === null;
  } catch {
    return true;
  }
}

function Playground() {
  // GraphiQL takes the first tab's variables from `initialVariables` only, so a first visit passes
  // the example both ways; later visits pass neither and get their saved tabs back.
  const opening = firstVisit() ? { initialQuery: TIMELINE_EXAMPLE.query, initialVariables: variablesText(TIMELINE_EXAMPLE) } : {};
  return (
    <GraphiQL
      fetcher={fetcher}
      plugins={PLUGINS}
      visiblePlugin={examplesPlugin}
      defaultTabs={[{ query: TIMELINE_EXAMPLE.query, variables: variablesText(TIMELINE_EXAMPLE) }]}
      {...opening}
      defaultQuery={'# Write a query here, or pick one under Examples (the list icon on the left).\n'}
      defaultEditorToolsVisibility="variables"
    >
      <GraphiQL.Logo>Dateline</GraphiQL.Logo>
    </GraphiQL>
  );
}

createRoot(document.getElementById('playground')!).render(<Playground />);
