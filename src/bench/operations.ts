/** The GraphQL operations the benchmarks send, shared by the HTTP and in-process benchmarks. */

/** One request body: a named operation with its variables. */
export interface BenchOperation {
  name: string;
  description: string;
  body: { query: string; variables?: Record<string, unknown> };
}

const EVENT_DETAIL = `
  id slug title summary category date endDate precision timeZone startsAt displayDate
  place { id slug name kind ancestors { slug name } }
  places { slug name }
  participants { role actor { slug name kind affiliation { name } } }
  casualties { kind count qualifier victims reportedBy { slug name } }
  sources { claim source { slug name kind } }
  quotes { text speaker { name } reportedBy { name } }`;

/** The four requests of `npm run bench`, over the shipped 4-5 November 2012 data. */
export function throughputOperations(): BenchOperation[] {
  return [
    {
      name: 'timeline',
      description: 'whole 4-5 November timeline with places, participants, casualties and sources',
      body: {
        query: `query Timeline($from: Date!, $to: Date!) { timeline(from: $from, to: $to) { date eventCount events { ${EVENT_DETAIL} } } }`,
        variables: { from: '2012-11-04', to: '2012-11-05' },
      },
    },
    {
      name: 'filtered-page',
      description: 'events page filtered by place + category + date range, first: 20',
      body: {
        query: `query Page($filter: EventFilter!, $first: Int!) { events(filter: $filter, first: $first) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id slug title date displayDate category place { name } casualties { kind count qualifier } } } } }`,
        variables: { filter: { places: ['syria'], categories: ['ARMED_CLASH', 'BOMBING', 'AIR_STRIKE'], from: '2012-11-01', to: '2012-11-30' }, first: 20 },
      },
    },
    {
      name: 'node',
      description: 'node(id) of one event',
      body: {
        query: `query Node($id: ID!) { node(id: $id) { id ... on Event { slug title date displayDate place { name } sources { source { name } } } } }`,
        variables: { id: Buffer.from('Event:idlib-air-strike').toString('base64') },
      },
    },
    {
      name: 'search',
      description: 'events matching a search filter',
      body: {
        query: `query Search($text: String!) { events(filter: { search: $text }, first: 20) { totalCount nodes { id slug title date place { name } } } }`,
        variables: { text: 'damascus' },
      },
    },
  ];
}
