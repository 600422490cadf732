/** The overlay transfer planner: a pure library (no Flink, no solver types in its API). */
package io.skyplane.planner;
