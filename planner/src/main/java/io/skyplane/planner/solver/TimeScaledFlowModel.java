package io.skyplane.planner.solver;

import com.google.ortools.linearsolver.MPConstraint;
import com.google.ortools.linearsolver.MPObjective;
import com.google.ortools.linearsolver.MPSolver;
import com.google.ortools.linearsolver.MPSolverParameters;
import com.google.ortools.linearsolver.MPVariable;
import io.skyplane.planner.SolverSettings;
import java.util.Optional;

/**
 * The overlay MILP shared by the formulations: Skyplane's unicast model (design.md) with the
 * transfer time as a variable, so that a plan is charged for VMs over its own duration.
 *
 * <p>Units are scaled by the volume: {@code flow_k_i_j} is the fraction of the data that crosses
 * edge (i,j) as hop k, {@code theta} is seconds per gigabit of the whole transfer (throughput =
 * 1/theta Gbps). Rates then become products with theta: VM-time {@code u_i = v_i * theta} and
 * connection-time {@code m_i_j = n_i_j * theta}. The VM count is binary-expanded ({@code v_i =
 * sum_b 2^b z_i_b}) so that {@code w_i_b = z_i_b * theta} is linearised exactly (McCormick on a
 * binary). Hop limits use one copy of the edges per hop (layered flow).
 *
 * <p>Subclasses add their objective (and any extra constraint) and call {@link #solveModel}.
 */
abstract class TimeScaledFlowModel implements AutoCloseable {

  final Overlay overlay;
  final double volumeGb;
  final double provisioningSeconds;
  final double thetaMax;
  /** 1 / (the most the source can send or the destination receive with all its VMs). */
  final double thetaMin;
  final MPSolver solver;
  final MPVariable theta;
  /** flow[k][e], null where edge e cannot be hop k. */
  final MPVariable[][] flow;
  /** conn[e] = n_e * theta (connection-seconds per gigabit). */
  final MPVariable[] conn;
  /** vmBit[i][b] = z_i_b. */
  final MPVariable[][] vmBit;
  /** vmTime[i][b] = w_i_b = z_i_b * theta. */
  final MPVariable[][] vmTime;

  TimeScaledFlowModel(Overlay overlay, double volumeGb, double provisioningSeconds, double thetaMax) {
    this.overlay = overlay;
    this.volumeGb = volumeGb;
    this.provisioningSeconds = provisioningSeconds;
    this.thetaMax = thetaMax;
    this.solver = OrTools.newMilpSolver();
    int edges = overlay.edges().size();
    int nodes = overlay.nodes().size();
    this.thetaMin = thetaMin(overlay);
    this.theta = solver.makeNumVar(Math.min(thetaMin, thetaMax), thetaMax, "theta");
    this.flow = new MPVariable[overlay.maxHops()][edges];
    for (int k = 0; k < overlay.maxHops(); k++) {
      for (int e = 0; e < edges; e++) {
        Overlay.EdgeInfo edge = overlay.edges().get(e);
        if (overlay.inLayer(edge, k)) {
          flow[k][e] = solver.makeNumVar(0, 1, "flow_" + k + "_" + edge.i() + "_" + edge.j());
        }
      }
    }
    this.conn = new MPVariable[edges];
    for (int e = 0; e < edges; e++) {
      Overlay.EdgeInfo edge = overlay.edges().get(e);
      conn[e] = solver.makeNumVar(0, MPSolver.infinity(), "conn_" + edge.i() + "_" + edge.j());
    }
    this.vmBit = new MPVariable[nodes][];
    this.vmTime = new MPVariable[nodes][];
    for (int i = 0; i < nodes; i++) {
      int bits = 32 - Integer.numberOfLeadingZeros(overlay.nodes().get(i).quota());
      vmBit[i] = new MPVariable[bits];
      vmTime[i] = new MPVariable[bits];
      for (int b = 0; b < bits; b++) {
        vmBit[i][b] = solver.makeBoolVar("z_" + i + "_" + b);
        vmTime[i][b] = solver.makeNumVar(0, thetaMax, "w_" + i + "_" + b);
      }
    }
    addSourceSupply();
    addConservation();
    addLinkThroughput();
    addConnectionBudget();
    addVmNetworkCaps();
    addVmTimeProduct();
    addQuota();
  }

  // sum_j flow_0_s_j = 1   (the whole volume leaves the source; it can only end at the sink)
  private void addSourceSupply() {
    MPConstraint supply = solver.makeConstraint(1, 1, "supply");
    for (int e = 0; e < overlay.edges().size(); e++) {
      if (flow[0][e] != null) {
        supply.setCoefficient(flow[0][e], 1);
      }
    }
  }

  // for relay r, 1 <= k < H:  sum_i flow_(k-1)_i_r = sum_j flow_k_r_j
  private void addConservation() {
    for (int r = 2; r < overlay.nodes().size(); r++) {
      for (int k = 1; k < overlay.maxHops(); k++) {
        MPConstraint balance = solver.makeConstraint(0, 0, "balance_" + r + "_" + k);
        for (int e = 0; e < overlay.edges().size(); e++) {
          Overlay.EdgeInfo edge = overlay.edges().get(e);
          if (edge.j() == r && flow[k - 1][e] != null) {
            balance.setCoefficient(flow[k - 1][e], 1);
          }
          if (edge.i() == r && flow[k][e] != null) {
            balance.setCoefficient(flow[k][e], -1);
          }
        }
      }
      // a relay cannot receive on the last hop (edges of hop H-1 all end at the sink)
    }
  }

  // sum_k flow_k_i_j <= T_i_j * conn_i_j / C   (grid rate for C connections between two VMs)
  private void addLinkThroughput() {
    double c = overlay.connectionsPerVm();
    for (int e = 0; e < overlay.edges().size(); e++) {
      Overlay.EdgeInfo edge = overlay.edges().get(e);
      MPConstraint link = solver.makeConstraint(-MPSolver.infinity(), 0, "link_" + e);
      addEdgeFlow(link, e, 1);
      link.setCoefficient(conn[e], -edge.gbpsPerVmPair() / c);
    }
  }

  // sum_j conn_i_j <= C * u_i  and  sum_i conn_i_j <= C * u_j   (C connections per VM each way)
  private void addConnectionBudget() {
    double c = overlay.connectionsPerVm();
    for (int i = 0; i < overlay.nodes().size(); i++) {
      MPConstraint out = solver.makeConstraint(-MPSolver.infinity(), 0, "conn_out_" + i);
      MPConstraint in = solver.makeConstraint(-MPSolver.infinity(), 0, "conn_in_" + i);
      for (int e = 0; e < overlay.edges().size(); e++) {
        Overlay.EdgeInfo edge = overlay.edges().get(e);
        if (edge.i() == i) {
          out.setCoefficient(conn[e], 1);
        }
        if (edge.j() == i) {
          in.setCoefficient(conn[e], 1);
        }
      }
      addVmTime(out, i, -c);
      addVmTime(in, i, -c);
    }
  }

  // sum_j,k flow_k_i_j <= egress_i * u_i  and  sum_i,k flow_k_i_j <= ingress_j * u_j
  private void addVmNetworkCaps() {
    for (int i = 0; i < overlay.nodes().size(); i++) {
      var vm = overlay.nodes().get(i).vm();
      MPConstraint egress = solver.makeConstraint(-MPSolver.infinity(), 0, "egress_" + i);
      MPConstraint ingress = solver.makeConstraint(-MPSolver.infinity(), 0, "ingress_" + i);
      for (int e = 0; e < overlay.edges().size(); e++) {
        Overlay.EdgeInfo edge = overlay.edges().get(e);
        if (edge.i() == i) {
          addEdgeFlow(egress, e, 1);
        }
        if (edge.j() == i) {
          addEdgeFlow(ingress, e, 1);
        }
      }
      addVmTime(egress, i, -vm.egressGbps());
      addVmTime(ingress, i, -vm.ingressGbps());
    }
  }

  // w_i_b = z_i_b * theta:  w <= theta,  w <= thetaMax * z,  w >= theta - thetaMax * (1 - z),
  //                        w >= thetaMin * z   (McCormick envelope, exact for binary z)
  private void addVmTimeProduct() {
    for (int i = 0; i < vmBit.length; i++) {
      for (int b = 0; b < vmBit[i].length; b++) {
        MPConstraint atLeastMin = solver.makeConstraint(0, MPSolver.infinity());
        atLeastMin.setCoefficient(vmTime[i][b], 1);
        atLeastMin.setCoefficient(vmBit[i][b], -Math.min(thetaMin, thetaMax));
        MPConstraint upper = solver.makeConstraint(-MPSolver.infinity(), 0);
        upper.setCoefficient(vmTime[i][b], 1);
        upper.setCoefficient(theta, -1);
        MPConstraint onlyIfOn = solver.makeConstraint(-MPSolver.infinity(), 0);
        onlyIfOn.setCoefficient(vmTime[i][b], 1);
        onlyIfOn.setCoefficient(vmBit[i][b], -thetaMax);
        MPConstraint lower = solver.makeConstraint(-thetaMax, MPSolver.infinity());
        lower.setCoefficient(vmTime[i][b], 1);
        lower.setCoefficient(theta, -1);
        lower.setCoefficient(vmBit[i][b], -thetaMax);
      }
    }
  }

  // v_i = sum_b 2^b z_i_b <= quota_i
  private void addQuota() {
    for (int i = 0; i < vmBit.length; i++) {
      MPConstraint quota = solver.makeConstraint(0, overlay.nodes().get(i).quota(), "quota_" + i);
      for (int b = 0; b < vmBit[i].length; b++) {
        quota.setCoefficient(vmBit[i][b], 1 << b);
      }
    }
  }

  private static double thetaMin(Overlay overlay) {
    var src = overlay.nodes().get(Overlay.SOURCE);
    var dst = overlay.nodes().get(Overlay.SINK);
    return 1 / Math.min(src.quota() * src.vm().egressGbps(), dst.quota() * dst.vm().ingressGbps());
  }

  private void addEdgeFlow(MPConstraint constraint, int e, double coefficient) {
    for (MPVariable[] layer : flow) {
      if (layer[e] != null) {
        constraint.setCoefficient(layer[e], coefficient);
      }
    }
  }

  /** Adds coefficient * u_i, with u_i = sum_b 2^b w_i_b. */
  private void addVmTime(MPConstraint constraint, int i, double coefficient) {
    for (int b = 0; b < vmTime[i].length; b++) {
      constraint.setCoefficient(vmTime[i][b], coefficient * (1 << b));
    }
  }

  /**
   * Sets, on a constraint or the objective, the coefficients of the total cost in USD:
   * egress V * sum_e price_e * sum_k flow_k_e, plus VMs sum_i price_i / 3600 * (8V * u_i + O * v_i).
   */
  void setCostCoefficients(CoefficientSink sink) {
    for (int e = 0; e < overlay.edges().size(); e++) {
      double usd = overlay.edges().get(e).usdPerGb() * volumeGb;
      for (MPVariable[] layer : flow) {
        if (layer[e] != null) {
          sink.set(layer[e], usd);
        }
      }
    }
    for (int i = 0; i < vmBit.length; i++) {
      double usdPerSecond = overlay.nodes().get(i).vm().usdPerHour() / 3600;
      for (int b = 0; b < vmBit[i].length; b++) {
        sink.set(vmTime[i][b], usdPerSecond * 8 * volumeGb * (1 << b));
        sink.set(vmBit[i][b], usdPerSecond * provisioningSeconds * (1 << b));
      }
    }
  }

  interface CoefficientSink {
    void set(MPVariable variable, double coefficient);
  }

  static CoefficientSink objective(MPObjective objective) {
    return objective::setCoefficient;
  }

  /** Solves; empty when infeasible; an error for any other status than optimal or feasible. */
  Optional<Solution> solveModel(SolverSettings settings) {
    solver.setTimeLimit(settings.timeLimitMillis());
    long start = System.nanoTime();
    MPSolverParameters parameters = new MPSolverParameters();
    parameters.setDoubleParam(MPSolverParameters.DoubleParam.RELATIVE_MIP_GAP, settings.relativeGap());
    MPSolver.ResultStatus status = solver.solve(parameters);
    parameters.delete();
    long millis = (System.nanoTime() - start) / 1_000_000;
    switch (status) {
      case OPTIMAL, FEASIBLE -> {
        return Optional.of(read(status == MPSolver.ResultStatus.OPTIMAL, millis));
      }
      case INFEASIBLE -> {
        return Optional.empty();
      }
      case NOT_SOLVED -> throw new IllegalStateException(
          "the MILP solver found no plan within " + settings.timeLimitMillis() + " ms");
      default -> throw new IllegalStateException("the MILP solver returned " + status);
    }
  }

  private Solution read(boolean optimal, long millis) {
    int edges = overlay.edges().size();
    double[][] values = new double[flow.length][edges];
    for (int k = 0; k < flow.length; k++) {
      for (int e = 0; e < edges; e++) {
        values[k][e] = flow[k][e] == null ? 0 : Math.max(0, flow[k][e].solutionValue());
      }
    }
    double thetaValue = theta.solutionValue();
    int[] vms = new int[vmBit.length];
    for (int i = 0; i < vmBit.length; i++) {
      for (int b = 0; b < vmBit[i].length; b++) {
        vms[i] += (int) Math.round(vmBit[i][b].solutionValue()) << b;
      }
    }
    int[] connections = new int[edges];
    for (int e = 0; e < edges; e++) {
      double used = 0;
      for (double[] layer : values) {
        used += layer[e];
      }
      connections[e] = used > 1e-9 ? (int) Math.ceil(conn[e].solutionValue() / thetaValue - 1e-6) : 0;
    }
    return new Solution(overlay, thetaValue, vms, values, connections, optimal, solver.solverVersion(), millis);
  }

  @Override
  public void close() {
    solver.delete();
  }
}
