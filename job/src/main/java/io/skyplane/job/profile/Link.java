package io.skyplane.job.profile;

import static java.util.Objects.requireNonNull;

import io.skyplane.job.plan.Route;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/** An ordered pair of regions that the profile measures: bytes from {@code source} to {@code destination}. */
public record Link(String source, String destination) implements Serializable {
  private static final long serialVersionUID = 1L;

  public Link {
    requireNonNull(source, "source is null");
    requireNonNull(destination, "destination is null");
    if (source.equals(destination)) {
      throw new IllegalArgumentException("a link needs two regions, got " + source + " twice");
    }
  }

  /** {@code src->dst}, as plan edges are named. */
  public String name() {
    return Route.edgeName(source, destination);
  }

  /**
   * Every ordered pair of {@code regions}, in the order they are measured: for each two regions
   * (in the order given) there and back, so {@code [a, b, c]} gives a->b, b->a, a->c, c->a, b->c,
   * c->b.
   *
   * @throws IllegalArgumentException when fewer than two regions are given or one is given twice
   */
  public static List<Link> everyPair(List<String> regions) {
    if (regions.size() < 2) {
      throw new IllegalArgumentException("a profile needs at least two regions, got " + regions.size());
    }
    if (regions.stream().distinct().count() != regions.size()) {
      throw new IllegalArgumentException("a region is named twice in " + regions);
    }
    List<Link> links = new ArrayList<>();
    for (int i = 0; i < regions.size(); i++) {
      for (int j = i + 1; j < regions.size(); j++) {
        links.add(new Link(regions.get(i), regions.get(j)));
        links.add(new Link(regions.get(j), regions.get(i)));
      }
    }
    return List.copyOf(links);
  }
}
