package io.herald.config;

import io.herald.cluster.Secret;
import java.util.Objects;
import java.util.Optional;

/**
 * The HTTP API's settings.
 *
 * @param host the address to listen on ({@code ListenAddress} {@code :3000} means every interface)
 * @param auth basic authentication ({@code AuthenticationMethod} = {@code basic}, {@code HTTPAuthUser},
 *     {@code HTTPAuthPassword}); when present, every mutating endpoint requires it
 */
public record HttpOptions(String host, int port, Optional<BasicAuth> auth) {
  public HttpOptions {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(auth, "auth");
  }

  public record BasicAuth(String user, Secret password) {
    public BasicAuth {
      Objects.requireNonNull(user, "user");
      Objects.requireNonNull(password, "password");
    }
  }
}
