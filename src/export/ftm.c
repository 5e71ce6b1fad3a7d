/*
 * ftm.c - FollowTheMoney entities as JSON lines, for Aleph, OpenSanctions
 * and the ftm tools: {"id", "schema", "properties": {PROP: [text, ...]}}.
 *
 * The mapping (docs/interop.md has it as a table). Entity types, by name
 * in any case: person -> Person, organization -> Organization, company ->
 * Company, public_body/publicbody -> PublicBody, event -> Event, vessel ->
 * Vessel, airplane/aircraft -> Airplane, document -> Document. Other types
 * (among the built-ins: country, place, weapon, decision) have no faithful
 * schema - Country is a property type in FtM, Thing is abstract - so their
 * entities are left out, with the relations that touch them, and a
 * warning lists them with counts. Properties: name, alias, and the other
 * attributes as "KEY: VALUE" lines in notes.
 *
 * Relations become interval entities (id "kgraph-rN"): member_of ->
 * Membership (member, organization), director_of -> Directorship
 * (director, organization), owns/owner_of -> Ownership (owner, asset),
 * works_for/employed_by/employee_of -> Employment (employee, employer),
 * family_of/relative_of -> Family (person, relative),
 * associate_of/associated_with -> Associate (person, associate),
 * represents -> Representation (agent, client), when both ends have a
 * schema the interval accepts; anything else -> UnknownLink (subject,
 * object) with the relation type's label as its role. startDate = since,
 * endDate = until (FtM has no exclusive end: the date is as written),
 * date = date, summary = the quote, sourceUrl and publisher from the
 * source, recordId = the relation's id, and the relation's attributes and
 * source title as "KEY: VALUE" lines in description.
 */
#include "export/export_internal.h"

#include <strings.h>
#include <string.h>

enum { S_NONE, S_PERSON, S_ORGANIZATION, S_COMPANY, S_PUBLICBODY, S_EVENT, S_VESSEL, S_AIRPLANE, S_DOCUMENT };

static const char *const schema_names[] = {NULL,    "Person", "Organization", "Company", "PublicBody",
                                           "Event", "Vessel", "Airplane",     "Document"};

static const struct {
	const char *type;
	int schema;
} entity_map[] = {
	{"person", S_PERSON},       {"organization", S_ORGANIZATION}, {"organisation", S_ORGANIZATION},
	{"company", S_COMPANY},     {"public_body", S_PUBLICBODY},    {"publicbody", S_PUBLICBODY},
	{"event", S_EVENT},         {"vessel", S_VESSEL},             {"airplane", S_AIRPLANE},
	{"aircraft", S_AIRPLANE},   {"document", S_DOCUMENT},
};

/* What an interval's ends accept. */
static bool legal_entity(int s)
{
	return s == S_PERSON || s == S_ORGANIZATION || s == S_COMPANY || s == S_PUBLICBODY;
}
static bool organization(int s)
{
	return s == S_ORGANIZATION || s == S_COMPANY || s == S_PUBLICBODY;
}
static bool asset(int s)
{
	return s == S_COMPANY || s == S_VESSEL || s == S_AIRPLANE;
}
static bool person(int s)
{
	return s == S_PERSON;
}

static const struct {
	const char *type, *schema, *from, *to;
	bool (*from_ok)(int), (*to_ok)(int);
} relation_map[] = {
	{"member_of", "Membership", "member", "organization", legal_entity, organization},
	{"director_of", "Directorship", "director", "organization", legal_entity, organization},
	{"owns", "Ownership", "owner", "asset", legal_entity, asset},
	{"owner_of", "Ownership", "owner", "asset", legal_entity, asset},
	{"works_for", "Employment", "employee", "employer", person, legal_entity},
	{"employed_by", "Employment", "employee", "employer", person, legal_entity},
	{"employee_of", "Employment", "employee", "employer", person, legal_entity},
	{"family_of", "Family", "person", "relative", person, person},
	{"relative_of", "Family", "person", "relative", person, person},
	{"associate_of", "Associate", "person", "associate", person, person},
	{"associated_with", "Associate", "person", "associate", person, person},
	{"represents", "Representation", "agent", "client", legal_entity, legal_entity},
};

static int schema_of_type(const char *name)
{
	size_t i;
	for (i = 0; i < sizeof entity_map / sizeof *entity_map; i++)
		if (strcasecmp(name, entity_map[i].type) == 0)
			return entity_map[i].schema;
	return S_NONE;
}

/* "name": ["text"] when text is not NULL. */
static void prop(kg__export *x, const char *name, const char *text)
{
	if (!text)
		return;
	x_puts(x, ", ");
	x_json(x, name);
	x_puts(x, ": [");
	x_json(x, text);
	x_puts(x, "]");
}

static void prop_date(kg__export *x, const char *name, kg_date d)
{
	char buf[11];
	if (d)
		prop(x, name, kg_date_format(buf, d));
}

/* Attributes as "KEY: VALUE" texts, after `extra` (or none). */
static void notes(kg__export *x, const char *name, const kg__attrs_of *of, uint32_t id, const char *extra_key,
                  const char *extra)
{
	size_t n = of->count(x->g, id), i;

	if (!n && !extra)
		return;
	x_puts(x, ", ");
	x_json(x, name);
	x_puts(x, ": [");
	for (i = 0; i < n + (extra != NULL); i++) {
		kg_attr a;
		if (i < n) {
			a = of->get(x->g, id, i);
		} else {
			a.key = extra_key;
			a.value = extra;
		}
		if (i)
			x_puts(x, ", ");
		x_capture(x);
		x_puts(x, a.key);
		x_puts(x, ": ");
		x_puts(x, a.value);
		x_json(x, x_captured(x));
	}
	x_puts(x, "]");
}

static void entity(kg__export *x, uint32_t e, int schema)
{
	const kg_graph *g = x->g;

	x_puts(x, "{\"id\": ");
	x_json(x, kg_entity_id(g, e));
	x_printf(x, ", \"schema\": \"%s\", \"properties\": {\"name\": [", schema_names[schema]);
	x_json(x, kg_entity_name(g, e));
	x_puts(x, "]");
	if (kg_entity_alias_count(g, e)) {
		x_puts(x, ", \"alias\": ");
		x_json_aliases(x, e);
	}
	notes(x, "notes", &kg__entity_attrs, e, NULL, NULL);
	x_puts(x, "}}\n");
}

static void relation(kg__export *x, uint32_t r, int from_schema, int to_schema)
{
	const kg_graph *g = x->g;
	uint32_t t = kg_relation_type(g, r), s = kg_relation_source(g, r);
	const char *schema = "UnknownLink", *from = "subject", *to = "object";
	size_t i;

	for (i = 0; i < sizeof relation_map / sizeof *relation_map; i++)
		if (strcasecmp(kg_relation_type_name(g, t), relation_map[i].type) == 0 &&
		    relation_map[i].from_ok(from_schema) && relation_map[i].to_ok(to_schema)) {
			schema = relation_map[i].schema;
			from = relation_map[i].from;
			to = relation_map[i].to;
			break;
		}
	x_printf(x, "{\"id\": \"kgraph-r%u\", \"schema\": \"%s\", \"properties\": {", r, schema);
	x_json(x, from);
	x_puts(x, ": [");
	x_json(x, kg_entity_id(g, kg_relation_from(g, r)));
	x_puts(x, "], ");
	x_json(x, to);
	x_puts(x, ": [");
	x_json(x, kg_entity_id(g, kg_relation_to(g, r)));
	x_puts(x, "]");
	if (strcmp(schema, "UnknownLink") == 0)
		prop(x, "role", kg_relation_type_label(g, t));
	prop_date(x, "startDate", kg_relation_since(g, r));
	prop_date(x, "endDate", kg_relation_until(g, r));
	prop_date(x, "date", kg_relation_date(g, r));
	prop(x, "summary", kg_relation_quote(g, r));
	if (s != KG_NONE) {
		prop(x, "sourceUrl", kg_source_url(g, s));
		prop(x, "publisher", kg_source_publisher(g, s));
	}
	x_printf(x, ", \"recordId\": [\"r%u\"]", r);
	notes(x, "description", &kg__relation_attrs, r, "source", s != KG_NONE ? kg_source_title(g, s) : NULL);
	x_puts(x, "}}\n");
}

void kg__export_ftm(kg__export *x)
{
	const kg_graph *g = x->g;
	size_t nt = kg_graph_type_count(g), i, lost_rels = 0;
	int *schema = kg__calloc(nt + 1, sizeof *schema);
	size_t *lost = kg__calloc(nt + 1, sizeof *lost);

	if (!schema || !lost) {
		x->err = KG_ENOMEM;
		goto done;
	}
	for (i = 0; i < nt; i++)
		schema[i] = schema_of_type(kg_type_name(g, (uint32_t)i));
	for (i = 0; i < x->nents; i++) {
		uint32_t e = x->ents[i], t = kg_entity_type(g, e);
		if (schema[t])
			entity(x, e, schema[t]);
		else
			lost[t]++;
	}
	for (i = 0; i < x->nrels; i++) {
		uint32_t r = x->rels[i];
		int a = schema[kg_entity_type(g, kg_relation_from(g, r))], b = schema[kg_entity_type(g, kg_relation_to(g, r))];
		if (a && b)
			relation(x, r, a, b);
		else
			lost_rels++;
	}
	if (!x->err) {
		kg__buf msg = {0};
		bool any = false;
		for (i = 0; i < nt; i++)
			if (lost[i]) {
				if (kg__buf_printf(&msg, "%s%s (%zu)", any ? ", " : "", kg_type_name(g, (uint32_t)i), lost[i]))
					x->err = KG_ENOMEM;
				any = true;
			}
		if (any)
			x_warn(x, "ftm: no FollowTheMoney schema fits %s; left out, with %zu relation%s that touch them",
			       msg.p ? msg.p : "", lost_rels, lost_rels == 1 ? "" : "s");
		kg__buf_free(&msg);
	}
done:
	kg__free(schema);
	kg__free(lost);
}
