package io.skyplane.job.cli;

public final class SkyplaneCli {
  public static void main(String[] args) {}
}
