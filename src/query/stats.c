/*
 * stats.c - measures of the whole network: counts by type, connected
 * components, degrees, betweenness centrality and the diameter of the
 * largest component (kg_query_stats, `kgraph stats`).
 *
 * Pipeline position: graph -> query. The measures are those of network
 * analysis, so they are taken on the graph as NetworkX's nx.Graph would
 * hold it: undirected, one edge between two entities however many
 * relations join them, no self-relations. Relation counts by type count
 * every admitted relation. The entities are numbered 0..n-1 among those
 * the type filter keeps, and an adjacency of compressed rows is built
 * over them once, so that the BFS of Brandes' algorithm touches only
 * arrays.
 *
 * What is exact and what is estimated is decided by the work it costs,
 * not by a clock: betweenness and the diameter need a BFS from every
 * entity, n x (n + m) steps; above KG_MAX_STATS_EXACT_WORK betweenness
 * is estimated from sources chosen with a fixed seed, as many as the
 * same work allows (at least KG_STATS_MIN_SAMPLES)
 * (the same graph gives the same numbers), and the diameter is bounded
 * by repeated double sweeps. The result says which.
 */
#include "query/query_internal.h"
#include "kgraph/limits.h"

typedef struct statsimpl {
	kg_stats pub;
	size_t *by_type, *by_rel, *sizes, *degree_count;
	kg_stats_entry *top_degree, *top_betweenness;
} statsimpl;

void kg_stats_free(kg_stats *s)
{
	statsimpl *x = (statsimpl *)s;

	if (!x)
		return;
	kg__free(x->by_type);
	kg__free(x->by_rel);
	kg__free(x->sizes);
	kg__free(x->degree_count);
	kg__free(x->top_degree);
	kg__free(x->top_betweenness);
	kg__free(x);
}

/* The undirected simple graph over the kept entities. */
typedef struct net {
	size_t n, m2;    /* entities, 2 x edges */
	uint32_t *ent;   /* local -> entity */
	uint32_t *off;   /* n + 1 row starts */
	uint32_t *adj;   /* neighbours, ascending in each row */
} net;

static void net_free(net *w)
{
	kg__free(w->ent);
	kg__free(w->off);
	kg__free(w->adj);
}

static int u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* Build w from g under the options, counting types and relation types
 * into x. KG_OK or KG_ENOMEM. */
static int net_build(net *w, statsimpl *x, const kg_graph *g, const kg_stats_options *o)
{
	size_t V = kg_graph_entity_count(g), R = kg_graph_relation_count(g), i, e;
	uint32_t *local = NULL;
	int rc = KG_ENOMEM;

	memset(w, 0, sizeof *w);
	if (!(local = kg__malloc((V + 1) * sizeof *local)) || !(w->ent = kg__malloc((V + 1) * sizeof *w->ent)))
		goto done;
	for (e = 0; e < V; e++) {
		uint32_t t = kg_entity_type(g, (uint32_t)e);
		local[e] = KG_NONE;
		if (o->ntypes && !kg__in_list(o->types, o->ntypes, t))
			continue;
		x->by_type[t]++;
		local[e] = (uint32_t)w->n;
		w->ent[w->n++] = (uint32_t)e;
	}
	if (!(w->off = kg__calloc(w->n + 2, sizeof *w->off)))
		goto done;
	/* Two passes over the relations: count the row lengths, then fill;
	 * the rows are then sorted and their repeats dropped. */
	for (i = 0; i < R; i++) {
		uint32_t r = (uint32_t)i, a = local[kg_relation_from(g, r)], b = local[kg_relation_to(g, r)];
		if (a == KG_NONE || b == KG_NONE || !kg_filter_admits(g, &o->filter, r))
			continue;
		x->by_rel[kg_relation_type(g, r)]++;
		x->pub.relations++;
		if (a != b) {
			w->off[a + 2]++;
			w->off[b + 2]++;
		}
	}
	for (i = 2; i < w->n + 2; i++)
		w->off[i] += w->off[i - 1];
	if (!(w->adj = kg__malloc((w->off[w->n + 1] + 1) * sizeof *w->adj)))
		goto done;
	for (i = 0; i < R; i++) {
		uint32_t r = (uint32_t)i, a = local[kg_relation_from(g, r)], b = local[kg_relation_to(g, r)];
		if (a == KG_NONE || b == KG_NONE || a == b || !kg_filter_admits(g, &o->filter, r))
			continue;
		w->adj[w->off[a + 1]++] = b;
		w->adj[w->off[b + 1]++] = a;
	}
	/* Now off[v + 1] is the end of row v; squeeze out repeats. */
	{
		size_t out = 0, start = 0;
		for (i = 0; i < w->n; i++) {
			size_t end = w->off[i + 1], k;
			qsort(w->adj + start, end - start, sizeof *w->adj, u32_cmp);
			w->off[i] = (uint32_t)out;
			for (k = start; k < end; k++)
				if (k == start || w->adj[k] != w->adj[k - 1])
					w->adj[out++] = w->adj[k];
			start = end;
		}
		w->off[w->n] = (uint32_t)out;
		w->m2 = out;
	}
	rc = KG_OK;
done:
	kg__free(local);
	return rc;
}

static size_t deg(const net *w, size_t v) { return w->off[v + 1] - w->off[v]; }

/* Breadth-first from s: dist (SIZE_MAX = not reached), queue the
 * entities in the order reached. Returns how many were reached; *far
 * gets one at the greatest distance (the smallest such). */
static size_t bfs(const net *w, size_t s, size_t *dist, uint32_t *queue, size_t *far)
{
	size_t head = 0, tail = 0, i;

	for (i = 0; i < w->n; i++)
		dist[i] = SIZE_MAX;
	dist[s] = 0;
	queue[tail++] = (uint32_t)s;
	*far = s;
	while (head < tail) {
		uint32_t v = queue[head++];
		if (dist[v] > dist[*far] || (dist[v] == dist[*far] && v < *far))
			*far = v;
		for (i = w->off[v]; i < w->off[v + 1]; i++)
			if (dist[w->adj[i]] == SIZE_MAX) {
				dist[w->adj[i]] = dist[v] + 1;
				queue[tail++] = w->adj[i];
			}
	}
	return tail;
}

/* splitmix64: a small generator whose sequence is fixed by its seed. */
static uint64_t next_random(uint64_t *state)
{
	uint64_t z = (*state += 0x9E3779B97F4A7C15u);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
	return z ^ (z >> 31);
}

/* Brandes' betweenness from the given sources, into bc (zeroed here),
 * normalised as NetworkX does for an undirected graph, and scaled by
 * n / nsources when sampled. O(nsources x (n + m)). */
static int betweenness(const net *w, const uint32_t *sources, size_t nsources, double *bc)
{
	size_t n = w->n, i, k;
	size_t *dist = kg__malloc((n + 1) * sizeof *dist);
	uint32_t *queue = kg__malloc((n + 1) * sizeof *queue);
	double *sigma = kg__malloc((n + 1) * sizeof *sigma), *delta = kg__malloc((n + 1) * sizeof *delta);
	int rc = KG_ENOMEM;

	if (!dist || !queue || !sigma || !delta)
		goto done;
	for (i = 0; i < n; i++)
		bc[i] = 0;
	for (k = 0; k < nsources; k++) {
		size_t s = sources[k], head = 0, tail = 0;
		for (i = 0; i < n; i++) {
			dist[i] = SIZE_MAX;
			sigma[i] = 0;
			delta[i] = 0;
		}
		dist[s] = 0;
		sigma[s] = 1;
		queue[tail++] = (uint32_t)s;
		while (head < tail) {
			uint32_t v = queue[head++];
			for (i = w->off[v]; i < w->off[v + 1]; i++) {
				uint32_t u = w->adj[i];
				if (dist[u] == SIZE_MAX) {
					dist[u] = dist[v] + 1;
					queue[tail++] = u;
				}
				if (dist[u] == dist[v] + 1)
					sigma[u] += sigma[v];
			}
		}
		/* Back from the farthest: the predecessors of u are its
		 * neighbours one step nearer, so no lists are kept. */
		while (tail > 0) {
			uint32_t u = queue[--tail];
			for (i = w->off[u]; i < w->off[u + 1]; i++) {
				uint32_t v = w->adj[i];
				if (dist[v] != SIZE_MAX && dist[v] + 1 == dist[u])
					delta[v] += sigma[v] / sigma[u] * (1 + delta[u]);
			}
			if (u != s)
				bc[u] += delta[u];
		}
	}
	if (n > 2) {
		double scale = 1.0 / ((double)(n - 1) * (double)(n - 2));
		if (nsources < n)
			scale *= (double)n / (double)nsources;
		for (i = 0; i < n; i++)
			bc[i] *= scale;
	} else {
		for (i = 0; i < n; i++)
			bc[i] = 0;
	}
	rc = KG_OK;
done:
	kg__free(dist);
	kg__free(queue);
	kg__free(sigma);
	kg__free(delta);
	return rc;
}

static const double *sort_key; /* for entry_cmp: qsort has no context */

static int entry_cmp(const void *pa, const void *pb)
{
	uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;

	if (sort_key[a] != sort_key[b])
		return sort_key[a] > sort_key[b] ? -1 : 1;
	return a < b ? -1 : a > b;
}

/* The top entries of value (highest first; ties in file order) into
 * a new array *out of min(top, n). */
static int top_of(kg_stats_entry **out, const net *w, const double *value, size_t top, uint32_t *order)
{
	size_t i, k = top < w->n ? top : w->n;

	for (i = 0; i < w->n; i++)
		order[i] = (uint32_t)i;
	sort_key = value;
	qsort(order, w->n, sizeof *order, entry_cmp);
	if (!(*out = kg__malloc((k + 1) * sizeof **out)))
		return KG_ENOMEM;
	for (i = 0; i < k; i++) {
		(*out)[i].entity = w->ent[order[i]];
		(*out)[i].value = value[order[i]];
	}
	return KG_OK;
}

static int size_desc(const void *pa, const void *pb)
{
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	return a > b ? -1 : a < b;
}

/* Components (sizes, largest first), and the diameter of the largest
 * (the first found of the largest, in file order). */
static int components(statsimpl *x, const net *w, size_t *dist, uint32_t *queue)
{
	size_t *comp = kg__malloc((w->n + 1) * sizeof *comp);
	size_t i, nc = 0, big = SIZE_MAX, bigsize = 0, far, low, high;

	if (!comp || !(x->sizes = kg__malloc((w->n + 1) * sizeof *x->sizes))) {
		kg__free(comp);
		return KG_ENOMEM;
	}
	for (i = 0; i < w->n; i++)
		comp[i] = SIZE_MAX;
	for (i = 0; i < w->n; i++) {
		size_t head = 0, tail = 0, j;
		if (comp[i] != SIZE_MAX)
			continue;
		comp[i] = nc;
		queue[tail++] = (uint32_t)i;
		while (head < tail) {
			uint32_t v = queue[head++];
			for (j = w->off[v]; j < w->off[v + 1]; j++)
				if (comp[w->adj[j]] == SIZE_MAX) {
					comp[w->adj[j]] = nc;
					queue[tail++] = w->adj[j];
				}
		}
		if (tail > bigsize) {
			bigsize = tail;
			big = nc;
		}
		x->sizes[nc++] = tail;
	}
	qsort(x->sizes, nc, sizeof *x->sizes, size_desc);
	x->pub.ncomponents = nc;
	x->pub.component_sizes = x->sizes;
	low = high = 0;
	if (big == SIZE_MAX) {
		/* no entities: no diameter */
	} else if ((double)bigsize * (double)(w->n + w->m2 / 2) <= KG_MAX_STATS_EXACT_WORK) {
		/* Exact: the greatest eccentricity, a BFS from every entity of
		 * the component. */
		for (i = 0; i < w->n; i++)
			if (comp[i] == big) {
				bfs(w, i, dist, queue, &far);
				if (dist[far] > low)
					low = dist[far];
			}
		high = low;
	} else {
		/* Double sweeps from the entity of highest degree: the
		 * eccentricity of any entity is a lower bound and twice it an
		 * upper bound; sweeping again from the farthest entity found
		 * raises the lower bound, usually to the diameter itself. */
		size_t start = SIZE_MAX, sweep;
		for (i = 0; i < w->n; i++)
			if (comp[i] == big && (start == SIZE_MAX || deg(w, i) > deg(w, start)))
				start = i;
		high = SIZE_MAX;
		for (sweep = 0; sweep < KG_STATS_DIAMETER_SWEEPS; sweep++) {
			bfs(w, start, dist, queue, &far);
			if (dist[far] > low)
				low = dist[far];
			if (2 * dist[far] < high)
				high = 2 * dist[far];
			start = far;
		}
	}
	kg__free(comp);
	x->pub.diameter_low = low;
	x->pub.diameter_high = high;
	x->pub.diameter_exact = low == high;
	return KG_OK;
}

int kg_query_stats(kg_stats **out, const kg_graph *g, const kg_stats_options *opts)
{
	kg_stats_options defaults = KG_STATS_OPTIONS_INIT;
	statsimpl *x = NULL;
	net w = {0, 0, NULL, NULL, NULL};
	size_t *dist = NULL, i, k;
	uint32_t *queue = NULL, *sources = NULL;
	double *value = NULL;
	int rc = KG_ENOMEM;

	if (!out)
		return KG_EARG;
	*out = NULL;
	if (!opts)
		opts = &defaults;
	if (!KG__OPTIONS_VERSION_OK(opts->version, KG_STATS_OPTIONS_VERSION) || !g)
		return KG_EARG;
	if (!(x = kg__calloc(1, sizeof *x)) ||
	    !(x->by_type = kg__calloc(kg_graph_type_count(g) + 1, sizeof *x->by_type)) ||
	    !(x->by_rel = kg__calloc(kg_graph_relation_type_count(g) + 1, sizeof *x->by_rel)))
		goto done;
	x->pub.entities_by_type = x->by_type;
	x->pub.relations_by_type = x->by_rel;
	if ((rc = net_build(&w, x, g, opts)) != KG_OK)
		goto done;
	rc = KG_ENOMEM;
	x->pub.entities = w.n;
	if (!(dist = kg__malloc((w.n + 1) * sizeof *dist)) || !(queue = kg__malloc((w.n + 1) * sizeof *queue)) ||
	    !(value = kg__malloc((w.n + 1) * sizeof *value)))
		goto done;

	/* Degrees. */
	for (i = 0; i < w.n; i++) {
		value[i] = (double)deg(&w, i);
		if (deg(&w, i) > x->pub.max_degree)
			x->pub.max_degree = deg(&w, i);
		x->pub.isolated += deg(&w, i) == 0;
	}
	if (!(x->degree_count = kg__calloc(x->pub.max_degree + 1, sizeof *x->degree_count)))
		goto done;
	for (i = 0; i < w.n; i++)
		x->degree_count[deg(&w, i)]++;
	x->pub.degree_count = x->degree_count;
	x->pub.ntop = opts->top < w.n ? opts->top : w.n;
	if (top_of(&x->top_degree, &w, value, opts->top, queue) != KG_OK)
		goto done;
	x->pub.top_degree = x->top_degree;

	/* Betweenness, exact or from sampled sources. */
	if (!(sources = kg__malloc((w.n + 1) * sizeof *sources)))
		goto done;
	for (i = 0; i < w.n; i++)
		sources[i] = (uint32_t)i;
	k = w.n;
	x->pub.betweenness_exact = (double)w.n * (double)(w.n + w.m2 / 2) <= KG_MAX_STATS_EXACT_WORK;
	x->pub.seed = opts->seed;
	if (!x->pub.betweenness_exact) {
		uint64_t state = opts->seed;
		k = (size_t)(KG_MAX_STATS_EXACT_WORK / (double)(w.n + w.m2 / 2));
		if (k < KG_STATS_MIN_SAMPLES)
			k = KG_STATS_MIN_SAMPLES;
		if (k > w.n)
			k = w.n;
		for (i = 0; i < k; i++) { /* the first k of a Fisher-Yates shuffle */
			size_t j = i + (size_t)(next_random(&state) % (w.n - i));
			uint32_t t = sources[i];
			sources[i] = sources[j];
			sources[j] = t;
		}
	}
	x->pub.betweenness_sources = k;
	if (betweenness(&w, sources, k, value) != KG_OK ||
	    top_of(&x->top_betweenness, &w, value, opts->top, queue) != KG_OK)
		goto done;
	x->pub.top_betweenness = x->top_betweenness;

	if (components(x, &w, dist, queue) != KG_OK)
		goto done;
	*out = &x->pub;
	x = NULL;
	rc = KG_OK;
done:
	kg_stats_free(x ? &x->pub : NULL);
	net_free(&w);
	kg__free(dist);
	kg__free(queue);
	kg__free(sources);
	kg__free(value);
	return rc;
}
