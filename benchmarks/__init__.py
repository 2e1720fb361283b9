"""Speed, memory and load measurements of Polare at national scale (see BENCHMARKS.md)."""
