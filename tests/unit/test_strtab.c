/* test_strtab.c - interning, its chunks of text, and the arena. */
#include "test_common.h"
#include "util/arena.h"
#include "util/strtab.h"

static void test_strtab__equal_strings_share_an_id(void **state)
{
	kg__strtab t;
	uint32_t x, y, z;
	(void)state;

	assert_int_equal(kg__strtab_init(&t), 0);
	x = kg__strtab_intern(&t, "biden", 5);
	y = kg__strtab_intern(&t, "bidenXX", 5); /* only 5 bytes count */
	z = kg__strtab_intern(&t, "usa", 3);
	assert_int_not_equal(x, 0);
	assert_int_equal(x, y);
	assert_int_not_equal(x, z);
	assert_string_equal(kg__str(&t, x), "biden");
	assert_int_equal(kg__strlen(&t, z), 3);
	assert_int_equal(kg__strtab_find(&t, "usa", 3), z);
	assert_int_equal(kg__strtab_find(&t, "uk", 2), 0);
	assert_null(kg__str(&t, 0));
	kg__strtab_free(&t);
}

static void test_strtab__survives_rehashing(void **state)
{
	kg__strtab t;
	char buf[32];
	uint32_t ids[5000];
	int i;
	(void)state;

	assert_int_equal(kg__strtab_init(&t), 0);
	for (i = 0; i < 5000; i++) {
		int n = snprintf(buf, sizeof buf, "entity-%d", i);
		ids[i] = kg__strtab_intern(&t, buf, (size_t)n);
		assert_int_not_equal(ids[i], 0);
	}
	for (i = 0; i < 5000; i++) {
		int n = snprintf(buf, sizeof buf, "entity-%d", i);
		assert_int_equal(kg__strtab_find(&t, buf, (size_t)n), ids[i]);
		assert_string_equal(kg__str(&t, ids[i]), buf);
	}
	/* Ids are dense: 5000 strings plus the reserved 0. */
	assert_int_equal(t.n, 5001);
	kg__strtab_free(&t);
}

static void test_strtab__empty_and_binary_strings(void **state)
{
	kg__strtab t;
	uint32_t e, b1, b2;
	(void)state;

	assert_int_equal(kg__strtab_init(&t), 0);
	e = kg__strtab_intern(&t, "", 0);
	b1 = kg__strtab_intern(&t, "a\0b", 3);
	b2 = kg__strtab_intern(&t, "a\0c", 3);
	assert_int_not_equal(e, 0);
	assert_int_not_equal(b1, b2);
	assert_int_equal(kg__strlen(&t, b1), 3);
	kg__strtab_free(&t);
}

static void test_strtab__arena_aligns_and_keeps_big_items(void **state)
{
	kg__arena a = {0};
	char *small, *big, *after;
	(void)state;

	small = kg__arena_alloc(&a, 3);
	big = kg__arena_alloc(&a, 100000);
	after = kg__arena_alloc(&a, 5);
	assert_non_null(small);
	assert_non_null(big);
	assert_non_null(after);
	assert_int_equal((uintptr_t)small % 8, 0);
	assert_int_equal((uintptr_t)after % 8, 0);
	memset(big, 'x', 100000);
	memcpy(small, "ab", 3);
	assert_string_equal(small, "ab");
	assert_int_equal(a.total, 100008);
	/* 4-aligned items (packed tighter, except in the debug arena); an
	 * 8-aligned one after them is still 8-aligned. */
	small = kg__arena_alloc4(&a, 5);
	after = kg__arena_alloc4(&a, 1);
	assert_non_null(small);
	assert_non_null(after);
	assert_int_equal((uintptr_t)small % 4, 0);
	assert_int_equal((uintptr_t)after % 4, 0);
	memcpy(small, "abcd", 5);
	after[0] = 'z';
	assert_string_equal(small, "abcd");
	after = kg__arena_alloc(&a, 1);
	assert_non_null(after);
	assert_int_equal((uintptr_t)after % 8, 0);
	assert_int_equal(a.total, 100008 + 5 + 1 + 1);
	kg__arena_free(&a);
	assert_null(a.head);
}

/* The owner's word beside each string, and trimming the table to slots
 * for its keys (every other string), after which the keys are still
 * found, the others are not, and new strings can still be added without
 * making a second copy of one that is not in the slots. */
static void test_strtab__aux_trim_and_reserve(void **state)
{
	kg__strtab t;
	char buf[32];
	uint32_t ids[3000], keys[1500];
	size_t nkeys = 0;
	int i;
	(void)state;

	assert_int_equal(kg__strtab_init(&t), 0);
	assert_int_equal(kg__strtab_reserve(&t, 1000), 0);
	assert_true(t.nslot * 7 >= 1000 * 10);
	for (i = 0; i < 3000; i++) {
		int n = snprintf(buf, sizeof buf, "id-%d", i);
		ids[i] = kg__strtab_intern(&t, buf, (size_t)n);
		assert_int_not_equal(ids[i], 0);
		assert_int_equal(kg__straux(&t, ids[i]), 0);
		if (i % 3 == 0)
			assert_int_equal(kg__strtab_set_aux(&t, ids[i], (uint32_t)i + 7), 0);
		if (i % 2 == 0)
			keys[nkeys++] = ids[i];
	}
	assert_int_equal(kg__straux(&t, 0), 0);
	assert_int_equal(kg__strlen(&t, 0), 0);
	kg__strtab_trim(&t, keys, nkeys);
	assert_non_null(t.slot4); /* the compact slots of a finished table */
	assert_null(t.slot);
	assert_true(t.nslot < 1500 * 2);
	assert_int_equal(t.cap, t.n);
	for (i = 0; i < 3000; i++) {
		int n = snprintf(buf, sizeof buf, "id-%d", i);
		assert_int_equal(kg__strtab_find(&t, buf, (size_t)n), i % 2 == 0 ? ids[i] : 0);
		assert_int_equal(kg__straux(&t, ids[i]), i % 3 == 0 ? (uint32_t)i + 7 : 0);
		assert_int_equal(kg__strlen(&t, ids[i]), (uint32_t)n);
	}
	kg__strtab_drop_aux(&t);
	assert_int_equal(kg__straux(&t, ids[3]), 0);
	for (i = 0; i < 1000; i++) {
		int n = snprintf(buf, sizeof buf, "more-%d", i);
		assert_int_not_equal(kg__strtab_intern(&t, buf, (size_t)n), 0);
	}
	assert_non_null(t.slot); /* adding strings went back to the larger slots */
	assert_int_equal(kg__strtab_find(&t, "id-2999", 7), ids[2999]);
	assert_int_equal(kg__strtab_intern(&t, "id-5", 4), ids[5]); /* not a key, still one copy */
	assert_int_equal(kg__strtab_find(&t, "more-999", 8), t.n - 1);
	kg__strtab_free(&t);
}

/* Text is never moved: a pointer taken early still reads its string
 * after the table has filled several chunks, and a string longer than a
 * chunk gets memory of its own, between ordinary ones. */
static void test_strtab__text_stays_put_across_chunks(void **state)
{
	kg__strtab t;
	char buf[32];
	const char *first;
	char *big;
	size_t bigLen = ((size_t)1 << KG__STR_CHUNK_BITS) + 12345;
	uint32_t id0, bigId, after;
	int i;
	(void)state;

	assert_int_equal(kg__strtab_init(&t), 0);
	id0 = kg__strtab_intern(&t, "first", 5);
	first = kg__str(&t, id0);
	for (i = 0; i < 40000; i++) {
		int n = snprintf(buf, sizeof buf, "string-number-%d", i);
		assert_int_not_equal(kg__strtab_intern(&t, buf, (size_t)n), 0);
	}
	assert_true(t.nchunk >= 3); /* 64 KiB, 128 KiB, 256 KiB, ... */
	assert_ptr_equal(kg__str(&t, id0), first);
	assert_string_equal(first, "first");
	big = malloc(bigLen);
	assert_non_null(big);
	memset(big, 'b', bigLen);
	bigId = kg__strtab_intern(&t, big, bigLen);
	assert_int_not_equal(bigId, 0);
	assert_int_equal(kg__strlen(&t, bigId), bigLen);
	assert_memory_equal(kg__str(&t, bigId), big, bigLen);
	assert_int_equal(kg__str(&t, bigId)[bigLen], '\0');
	after = kg__strtab_intern(&t, "after", 5);
	assert_string_equal(kg__str(&t, after), "after");
	assert_int_equal(kg__strtab_find(&t, big, bigLen), bigId);
	kg__strtab_trim(&t, &bigId, 1);
	assert_int_equal(kg__strtab_find(&t, big, bigLen), bigId);
	assert_int_equal(kg__strtab_find(&t, "string-number-39999", 19), 0); /* not a key */
	assert_string_equal(kg__str(&t, id0), "first");
	free(big);
	kg__strtab_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strtab__equal_strings_share_an_id),
		cmocka_unit_test(test_strtab__survives_rehashing),
		cmocka_unit_test(test_strtab__aux_trim_and_reserve),
		cmocka_unit_test(test_strtab__empty_and_binary_strings),
		cmocka_unit_test(test_strtab__text_stays_put_across_chunks),
		cmocka_unit_test(test_strtab__arena_aligns_and_keeps_big_items),
	};
	return cmocka_run_group_tests_name("strtab", tests, NULL, NULL);
}
