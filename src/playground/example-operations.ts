/**
 * The example operations the playground offers, one or more per root field of the public API.
 * Shared by the browser bundle (the "Examples" pane) and the test that runs each against the data.
 */

/** One ready-to-run example: what it shows, its GraphQL text and the variables it needs. */
export interface ExampleOperation {
  /** Short label shown in the list; also the operation's name in `query`. */
  name: string;
  /** One sentence on what the example shows. */
  description: string;
  /** The GraphQL document; exactly one named operation. */
  query: string;
  /** Variables for the operation, when it has any. */
  variables?: Record<string, unknown>;
}

/** The example the playground opens on: the 4-5 November 2012 timeline with places, casualty figures and sources. */
export const TIMELINE_EXAMPLE: ExampleOperation = {
  name: 'Timeline',
  description: 'The events of 4-5 November 2012 day by day, with their places, casualty figures and the sources behind each claim.',
  query: `# Press Run (or Ctrl-Enter) to see the answer.
# More examples: the list icon on the left.
query Timeline($from: Date!, $to: Date!) {
  timeline(from: $from, to: $to) {
    date
    eventCount
    events {
      title
      displayDate
      category
      place {
        name
        ancestors {
          name
        }
      }
      casualties {
        kind
        count
        qualifier
        victims
        reportedBy {
          name
        }
      }
      sources {
        source {
          name
          kind
        }
        claim
      }
    }
  }
}
`,
  variables: { from: '2012-11-04', to: '2012-11-05' },
};

/** Every example, the timeline first; together they use every root field of the API. */
export const EXAMPLE_OPERATIONS: readonly ExampleOperation[] = [
  TIMELINE_EXAMPLE,
  {
    name: 'CasualtyReports',
    description: 'Bombings, air strikes and clashes with every casualty figure exactly as each source gave it.',
    query: `query CasualtyReports {
  events(filter: { categories: [BOMBING, AIR_STRIKE, ARMED_CLASH] }, first: 10) {
    totalCount
    nodes {
      title
      date
      place {
        name
      }
      casualties {
        kind
        count
        qualifier
        victims
        reportedBy {
          name
          kind
        }
      }
    }
  }
}
`,
  },
  {
    name: 'SearchEvents',
    description: 'Full-text search over titles, summaries, quotes and names, newest first, paged two at a time.',
    query: `query SearchEvents($search: String!, $after: String) {
  events(
    filter: { search: $search }
    orderBy: { field: DATE, direction: DESC }
    first: 2
    after: $after
  ) {
    totalCount
    edges {
      cursor
      node {
        title
        displayDate
        summary
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
`,
    variables: { search: 'Lavrov' },
  },
  {
    name: 'EventBySlug',
    description: "One event in full: when and where, who took part, the casualty figures, sources, quotes and related events.",
    query: `query EventBySlug($slug: String!) {
  event(slug: $slug) {
    id
    title
    summary
    category
    date
    endDate
    precision
    timeZone
    startsAt
    displayDate
    places {
      name
      kind
    }
    participants {
      role
      actor {
        name
        kind
      }
    }
    casualties {
      kind
      count
      qualifier
      victims
      reportedBy {
        name
      }
    }
    sources {
      source {
        name
      }
      claim
    }
    quotes {
      text
      speaker {
        name
      }
      reportedBy {
        name
      }
    }
    related {
      title
      date
    }
  }
}
`,
    variables: { slug: 'hama-checkpoint-suicide-car-bombing' },
  },
  {
    name: 'Places',
    description: 'Every place with its kind, coordinates and the place it lies in.',
    query: `query Places {
  places(first: 50) {
    totalCount
    nodes {
      slug
      name
      kind
      latitude
      longitude
      parent {
        name
      }
    }
  }
}
`,
  },
  {
    name: 'PlaceBySlug',
    description: 'A province, what it lies in, and the events anywhere inside it.',
    query: `query PlaceBySlug($slug: String!) {
  place(slug: $slug) {
    name
    kind
    ancestors {
      name
      kind
    }
    events(first: 10) {
      totalCount
      nodes {
        title
        date
        place {
          name
        }
      }
    }
  }
}
`,
    variables: { slug: 'syria' },
  },
  {
    name: 'Actors',
    description: 'The people, states, forces and organizations in the data, with their affiliations.',
    query: `query Actors {
  actors(first: 50) {
    totalCount
    nodes {
      slug
      name
      kind
      description
      affiliation {
        name
      }
    }
  }
}
`,
  },
  {
    name: 'ActorBySlug',
    description: "One person's events, with what they said.",
    query: `query ActorBySlug($slug: String!) {
  actor(slug: $slug) {
    name
    kind
    description
    affiliation {
      name
    }
    events(first: 10) {
      nodes {
        title
        displayDate
        quotes {
          text
          speaker {
            name
          }
        }
      }
    }
  }
}
`,
    variables: { slug: 'sergei-lavrov' },
  },
  {
    name: 'Sources',
    description: 'The news outlets, agencies, monitoring groups and officials that reported the events.',
    query: `query Sources {
  sources(first: 50) {
    totalCount
    nodes {
      slug
      name
      kind
      description
    }
  }
}
`,
  },
  {
    name: 'SourceBySlug',
    description: 'What one source reported: each event with the claim it made.',
    query: `query SourceBySlug($slug: String!) {
  source(slug: $slug) {
    name
    kind
    description
    events(first: 10) {
      nodes {
        title
        date
        sources {
          source {
            slug
          }
          claim
        }
      }
    }
  }
}
`,
    variables: { slug: 'syrian-observatory-for-human-rights' },
  },
  {
    name: 'NodeById',
    description: 'Fetch any entity again by its global id (the id field of an Event, Place, Actor or Source).',
    query: `query NodeById($id: ID!) {
  node(id: $id) {
    __typename
    id
    ... on Event {
      title
      displayDate
    }
  }
}
`,
    // The id field of the Hama bombing event, as `event(slug:)` returns it.
    variables: { id: 'RXZlbnQ6aGFtYS1jaGVja3BvaW50LXN1aWNpZGUtY2FyLWJvbWJpbmc=' },
  },
  {
    name: 'NodesByIds',
    description: 'Fetch several entities of different types by global id in one request, in the order asked.',
    query: `query NodesByIds($ids: [ID!]!) {
  nodes(ids: $ids) {
    __typename
    id
    ... on Place {
      name
    }
    ... on Actor {
      name
    }
    ... on Source {
      name
    }
  }
}
`,
    // The id fields of Hama Province, Sergei Lavrov and the Syrian Observatory for Human Rights.
    variables: {
      ids: ['UGxhY2U6aGFtYS1wcm92aW5jZQ==', 'QWN0b3I6c2VyZ2VpLWxhdnJvdg==', 'U291cmNlOnN5cmlhbi1vYnNlcnZhdG9yeS1mb3ItaHVtYW4tcmlnaHRz'],
    },
  },
];
