/* test_util.c - edit distance, hashing, buffers and atomic file writing. */
#define _POSIX_C_SOURCE 200809L
#include "test_common.h"
#include "util/atomic_write.h"
#include "util/util.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static void test_util__edit_distance(void **state)
{
	(void)state;
	assert_int_equal(kg__edit_distance("person", 6, "person", 6, 3), 0);
	assert_int_equal(kg__edit_distance("persn", 5, "person", 6, 3), 1);
	assert_int_equal(kg__edit_distance("entites", 7, "entities", 8, 3), 1);
	assert_int_equal(kg__edit_distance("kitten", 6, "sitting", 7, 5), 3);
	/* Early exit: more than max reports max + 1. */
	assert_int_equal(kg__edit_distance("abcdef", 6, "uvwxyz", 6, 2), 3);
	assert_int_equal(kg__edit_distance("", 0, "abc", 3, 5), 3);
}

static void test_util__suggest_distance_grows_with_length(void **state)
{
	(void)state;
	assert_int_equal(kg__suggest_distance(3), 1);
	assert_int_equal(kg__suggest_distance(6), 2);
	assert_int_equal(kg__suggest_distance(20), 3);
}

static void test_util__hash_depends_on_every_byte(void **state)
{
	const char a[] = "abcdefghijklmnopq", b[] = "abcdefghijklmnopr";
	(void)state;
	assert_true(kg__hash(a, 17) == kg__hash(a, 17));
	assert_true(kg__hash(a, 17) != kg__hash(b, 17));
	assert_true(kg__hash(a, 16) != kg__hash(a, 17));
	assert_true(kg__hash("", 0) != kg__hash("a", 1));
}

static void test_util__buf_printf_appends(void **state)
{
	kg__buf b = {0};
	(void)state;
	assert_int_equal(kg__buf_puts(&b, "x="), 0);
	assert_int_equal(kg__buf_printf(&b, "%d;%s", 42, "y"), 0);
	assert_string_equal(b.p, "x=42;y");
	assert_int_equal(b.n, 6);
	kg__buf_free(&b);
	assert_null(b.p);
}

static void test_util__grow_refuses_overflow(void **state)
{
	void *p = NULL;
	size_t cap = 0;
	(void)state;
	assert_int_equal(kg__grow(&p, &cap, SIZE_MAX / 2, 16), -1);
	assert_null(p);
	assert_int_equal(kg__grow(&p, &cap, 10, 4), 0);
	assert_true(cap >= 10);
	kg__free(p);
}

/* A signal handler's cleanup removes the temporary file being written,
 * and only that: the target keeps its old contents; commit then fails. */
static void test_util__atomic_signal_cleanup_removes_the_temporary_file(void **state)
{
	char dir[] = "/tmp/kg-util-test-XXXXXX", path[256];
	kg__atomic_file f;
	struct stat st;
	FILE *fp;
	(void)state;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/out.svg", dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("old", fp);
	fclose(fp);
	assert_int_equal(kg__atomic_open(&f, path), 0);
	assert_non_null(f.tmp);
	assert_int_equal(stat(f.tmp, &st), 0);
	assert_int_equal(kg__atomic_write(&f, "new", 3), 0);
	kg__atomic_signal_cleanup();
	assert_int_not_equal(stat(f.tmp, &st), 0);
	kg__atomic_signal_cleanup(); /* nothing left to do */
	assert_int_not_equal(kg__atomic_commit(&f), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 3);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0); /* nothing else was left */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_util__edit_distance),
		cmocka_unit_test(test_util__suggest_distance_grows_with_length),
		cmocka_unit_test(test_util__hash_depends_on_every_byte),
		cmocka_unit_test(test_util__buf_printf_appends),
		cmocka_unit_test(test_util__grow_refuses_overflow),
		cmocka_unit_test(test_util__atomic_signal_cleanup_removes_the_temporary_file),
	};
	return cmocka_run_group_tests_name("util", tests, NULL, NULL);
}
