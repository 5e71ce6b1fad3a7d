-- kgraph.sql - the PostgreSQL schema that `kgraph push` fills and
-- `kgraph ... --db` reads (docs/postgresql.md). One source of truth: the
-- build embeds this file in kgraph, which runs it before every push; it is
-- also installed as share/kgraph/kgraph.sql for `psql -f`.
--
-- Every statement may run again on a database that has it already: tables
-- and indexes are created if missing, functions and views replaced.
--
-- Records keep the graph's own numbering: `ord` is the index kgraph gives
-- an entity, relation, type or source (the order it was read in), which
-- is what breaks ties between equally short paths; locations are
-- (file, line, col) with file an index into graphs.files (NULL: none).
-- Attributes are a jsonb object (a list value is an array) plus attr_keys,
-- the keys in the order they were written, which jsonb does not keep.
-- Dates are `date`, the first day they name, with a precision: 1 year,
-- 2 month, 3 day. Validity is the daterange [since, until).

CREATE SCHEMA IF NOT EXISTS kgraph;

CREATE TABLE IF NOT EXISTS kgraph.graphs (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name text NOT NULL UNIQUE,
	title text,
	description text,
	files text[] NOT NULL,
	entity_count bigint NOT NULL,
	relation_count bigint NOT NULL,
	pushed_at timestamptz NOT NULL DEFAULT now()
);

-- Entity types (kind 'entity') and relation types (kind 'relation').
CREATE TABLE IF NOT EXISTS kgraph.types (
	graph bigint NOT NULL,
	kind text NOT NULL CHECK (kind IN ('entity', 'relation')),
	ord integer NOT NULL,
	name text NOT NULL,
	label text,
	builtin boolean NOT NULL DEFAULT false,
	declared boolean NOT NULL DEFAULT false,
	is_symmetric boolean NOT NULL DEFAULT false,
	from_types integer[],
	to_types integer[],
	uses bigint NOT NULL DEFAULT 0,
	attrs jsonb,
	attr_keys text[],
	file integer, line integer, col integer,
	PRIMARY KEY (graph, kind, ord)
);

CREATE TABLE IF NOT EXISTS kgraph.sources (
	graph bigint NOT NULL,
	ord integer NOT NULL,
	id text NOT NULL,
	title text,
	publisher text,
	url text,
	path text,
	date date,
	date_precision smallint,
	cites bigint NOT NULL DEFAULT 0,
	attrs jsonb,
	attr_keys text[],
	file integer, line integer, col integer,
	PRIMARY KEY (graph, ord)
);

CREATE TABLE IF NOT EXISTS kgraph.entities (
	graph bigint NOT NULL,
	ord integer NOT NULL,
	id text NOT NULL,
	name text,
	type integer NOT NULL,
	aliases text[],
	-- id, name and aliases case-folded (Unicode full folding, NFC), as
	-- kgraph compares names people type.
	folded text[] NOT NULL,
	-- id, name and aliases, then attribute values, folded as kgraph search
	-- compares them (case, accents, compatibility forms): kgraph computes
	-- them at push, so that the database need not fold.
	search_keys text[] NOT NULL DEFAULT '{}',
	search_values text[] NOT NULL DEFAULT '{}',
	attrs jsonb,
	attr_keys text[],
	file integer, line integer, col integer,
	PRIMARY KEY (graph, ord)
);
CREATE UNIQUE INDEX IF NOT EXISTS entities_id ON kgraph.entities (graph, id);
CREATE INDEX IF NOT EXISTS entities_folded ON kgraph.entities USING gin (folded);

CREATE TABLE IF NOT EXISTS kgraph.relations (
	graph bigint NOT NULL,
	ord integer NOT NULL,
	from_ord integer NOT NULL,
	to_ord integer NOT NULL,
	type integer NOT NULL,
	date date,
	date_precision smallint,
	since date,
	since_precision smallint,
	until date,
	until_precision smallint,
	-- since and until as one range, for queries such as validity @> DATE.
	validity daterange GENERATED ALWAYS AS (
		CASE WHEN since IS NULL AND until IS NULL THEN NULL
		     WHEN since IS NULL OR until IS NULL OR since < until THEN daterange(since, until)
		     ELSE 'empty' END) STORED,
	source integer,
	quote text,
	weight double precision,
	attrs jsonb,
	attr_keys text[],
	file integer, line integer, col integer,
	PRIMARY KEY (graph, ord)
);
-- The two indexes a frontier query uses: one round trip per level reads
-- the relations leaving, and entering, a set of entities.
CREATE INDEX IF NOT EXISTS relations_from ON kgraph.relations (graph, from_ord);
CREATE INDEX IF NOT EXISTS relations_to ON kgraph.relations (graph, to_ord);

-- The relations in the shape pgRouting's functions expect. Both ways cost
-- 1: kgraph follows relations either way unless a query is --directed.
-- id is unique across graphs; filter on graph.
CREATE OR REPLACE VIEW kgraph.edges AS
	SELECT r.graph, (r.graph << 32) | r.ord AS id,
	       r.from_ord::bigint AS source, r.to_ord::bigint AS target,
	       1.0::float8 AS cost, 1.0::float8 AS reverse_cost, r.type
	FROM kgraph.relations r WHERE r.from_ord <> r.to_ord;

-- Entities within max_depth relations of start_id (either way), nearest
-- first: a breadth-first search in the database alone.
CREATE OR REPLACE FUNCTION kgraph.neighborhood(graph_name text, start_id text, max_depth integer)
RETURNS TABLE (id text, distance integer)
LANGUAGE sql STABLE AS $fn$
	WITH RECURSIVE g AS (SELECT gr.id FROM kgraph.graphs gr WHERE gr.name = graph_name),
	walk(node, depth) AS (
		SELECT e.ord, 0 FROM kgraph.entities e, g WHERE e.graph = g.id AND e.id = start_id
		UNION
		SELECT CASE WHEN r.from_ord = w.node THEN r.to_ord ELSE r.from_ord END, w.depth + 1
		FROM walk w, g, kgraph.relations r
		WHERE w.depth < max_depth AND r.graph = g.id
		  AND (r.from_ord = w.node OR r.to_ord = w.node)
	)
	SELECT e.id, min(w.depth)::integer
	FROM walk w, g, kgraph.entities e
	WHERE e.graph = g.id AND e.ord = w.node AND w.depth > 0
	GROUP BY e.id, e.ord
	HAVING min(w.depth) > 0 AND e.id <> start_id
	ORDER BY 2, e.ord
$fn$;

-- One shortest path from from_id to to_id (relations either way, at most
-- max_hops), as the relation ords in order: a recursive CTE that grows
-- simple paths one level at a time and stops at the first level that
-- reaches the target. Among equally short paths the smallest sequence of
-- ords wins, as in kgraph. Paths, not entities, are the rows: the cost
-- grows with the number of paths, so keep max_hops small on dense graphs.
CREATE OR REPLACE FUNCTION kgraph.shortest_path(graph_name text, from_id text, to_id text,
                                                max_hops integer DEFAULT 6)
RETURNS integer[]
LANGUAGE sql STABLE AS $fn$
	WITH RECURSIVE g AS (SELECT gr.id FROM kgraph.graphs gr WHERE gr.name = graph_name),
	ends AS (
		SELECT (SELECT e.ord FROM kgraph.entities e, g WHERE e.graph = g.id AND e.id = from_id) AS s,
		       (SELECT e.ord FROM kgraph.entities e, g WHERE e.graph = g.id AND e.id = to_id) AS t
	),
	walk(node, nodes, rels, done) AS (
		SELECT ends.s, ARRAY[ends.s], ARRAY[]::integer[], ends.s = ends.t FROM ends
		UNION ALL
		SELECT x.next, x.nodes || x.next, x.rels || x.ord, bool_or(x.next = x.t) OVER ()
		FROM (
			SELECT CASE WHEN r.from_ord = w.node THEN r.to_ord ELSE r.from_ord END AS next,
			       w.nodes, w.rels, r.ord, ends.t
			FROM walk w, g, ends, kgraph.relations r
			WHERE NOT w.done AND cardinality(w.rels) < max_hops
			  AND r.graph = g.id AND (r.from_ord = w.node OR r.to_ord = w.node)
			  AND r.from_ord <> r.to_ord
		) x
		WHERE x.next <> ALL (x.nodes)
	)
	SELECT w.rels FROM walk w, ends WHERE w.node = ends.t ORDER BY cardinality(w.rels), w.rels LIMIT 1
$fn$;

-- A record's attributes in the order they were written, flattened as
-- key, kind, value triples: kind 's' for a single value, 'l' for an item
-- of a list (each item a triple). What kgraph reads back.
CREATE OR REPLACE FUNCTION kgraph.attr_list(attrs jsonb, attr_keys text[])
RETURNS text[]
LANGUAGE sql IMMUTABLE AS $fn$
	SELECT coalesce(array_agg(x.v ORDER BY k.n, t.i, x.j), '{}')
	FROM unnest(attr_keys) WITH ORDINALITY AS k(key, n),
	LATERAL (
		SELECT 's' AS kind, attrs ->> k.key AS value, 1::bigint AS i
		WHERE jsonb_typeof(attrs -> k.key) = 'string'
		UNION ALL
		SELECT 'l', a.value, a.i
		FROM jsonb_array_elements_text(CASE WHEN jsonb_typeof(attrs -> k.key) = 'array'
		                                    THEN attrs -> k.key ELSE '[]' END) WITH ORDINALITY AS a(value, i)
	) t,
	LATERAL unnest(ARRAY[k.key, t.kind, t.value]) WITH ORDINALITY AS x(v, j)
$fn$;
