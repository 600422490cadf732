package io.skyplane.store.gcs;

import com.google.api.client.http.HttpExecuteInterceptor;
import com.google.api.client.http.HttpRequestInitializer;
import com.google.cloud.ServiceOptions;
import com.google.cloud.http.HttpTransportOptions;
import io.skyplane.store.RequestSettings;

/**
 * The client's HTTP settings: connect timeout, socket read timeout ({@code idle-timeout}), and a
 * write timeout on request bodies of {@link RequestSettings#uploadTimeout} for their length, set
 * just before each request is sent (when its body is known).
 */
final class GcsTransportOptions extends HttpTransportOptions {
  private static final long serialVersionUID = 1L;

  private final RequestSettings requests;

  GcsTransportOptions(RequestSettings requests) {
    super(HttpTransportOptions.newBuilder()
        .setConnectTimeout(millis(requests.connectTimeout()))
        .setReadTimeout(millis(requests.idleTimeout())));
    this.requests = requests;
  }

  @Override
  public HttpRequestInitializer getHttpRequestInitializer(ServiceOptions<?, ?> serviceOptions) {
    HttpRequestInitializer delegate = super.getHttpRequestInitializer(serviceOptions);
    return request -> {
      delegate.initialize(request);
      HttpExecuteInterceptor before = request.getInterceptor();
      request.setInterceptor(r -> {
        if (before != null) {
          before.intercept(r);
        }
        if (r.getContent() != null && r.getContent().getLength() > 0) {
          r.setWriteTimeout(millis(requests.uploadTimeout(r.getContent().getLength())));
        }
      });
    };
  }

  private static int millis(java.time.Duration d) {
    return (int) Math.min(Integer.MAX_VALUE, d.toMillis());
  }
}
