/*
 * kgraph/visibility.h - KG_EXPORT, the mark on every public function.
 *
 * The library is compiled with hidden visibility (-fvisibility=hidden), so
 * that the shared library exports only what is declared KG_EXPORT in these
 * headers; the internal kg__ functions stay inside it. A program using
 * kgraph needs to do nothing about this.
 */
#ifndef KGRAPH_VISIBILITY_H
#define KGRAPH_VISIBILITY_H

#if defined(__GNUC__) && __GNUC__ >= 4
#define KG_EXPORT __attribute__((visibility("default")))
#else
#define KG_EXPORT
#endif

#endif
