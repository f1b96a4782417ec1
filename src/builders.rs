//! `with_*` builder methods written once: [`with_methods!`] gives each request type its own
//! from one line per method.

/// Implements `with_*` builder methods (`#[must_use]`, taking and returning `self`) on a request
/// type, one line each: the doc comment, how the value is stored, the method, the field.
///
/// ```ignore
/// with_methods!(S3Request {
///     /// Who signs.
///     some with_credentials(credentials: Credentials) => credentials;
///     /// The region of the credential scope.
///     into with_region(region: String) => endpoint.region;
///     /// The AWS dual-stack (IPv6) endpoint.
///     set with_dualstack(on: bool) => endpoint.dualstack;
///     /// How long the URL works, whole seconds.
///     secs with_expires_in(lifetime) => expires_in;
///     /// A header to sign.
///     push with_header(name, value) => headers;
/// });
/// ```
/// - `set`: the value as given; `some`: `Some(value)`; `into`: `Some(value.into())` from any
///   `impl Into<T>`;
/// - `secs`: a [`core::time::Duration`] as `Some(whole seconds)` (a fraction is dropped);
/// - `push`: a `(name, value)` pair appended to a [`crate::types::Params`].
macro_rules! with_methods {
    ($ty:ident { $( $(#[$attr:meta])* $kind:ident $m:ident ( $($args:tt)* ) => $($f:ident).+ ; )* }) => {
        impl $ty {
            $( $crate::builders::with_methods!(@ $kind [$(#[$attr])*] $m ($($args)*) $($f).+); )*
        }
    };
    (@ set [$($attr:tt)*] $m:ident ($arg:ident : $t:ty) $($f:ident).+) => {
        $($attr)*
        #[must_use]
        pub fn $m(mut self, $arg: $t) -> Self {
            self.$($f).+ = $arg;
            self
        }
    };
    (@ some [$($attr:tt)*] $m:ident ($arg:ident : $t:ty) $($f:ident).+) => {
        $($attr)*
        #[must_use]
        pub fn $m(mut self, $arg: $t) -> Self {
            self.$($f).+ = Some($arg);
            self
        }
    };
    (@ into [$($attr:tt)*] $m:ident ($arg:ident : $t:ty) $($f:ident).+) => {
        $($attr)*
        #[must_use]
        pub fn $m(mut self, $arg: impl Into<$t>) -> Self {
            self.$($f).+ = Some($arg.into());
            self
        }
    };
    (@ secs [$($attr:tt)*] $m:ident ($arg:ident) $($f:ident).+) => {
        $($attr)*
        #[must_use]
        pub fn $m(mut self, $arg: core::time::Duration) -> Self {
            self.$($f).+ = Some($arg.as_secs());
            self
        }
    };
    (@ push [$($attr:tt)*] $m:ident ($name:ident, $value:ident) $($f:ident).+) => {
        $($attr)*
        #[must_use]
        pub fn $m(mut self, $name: impl Into<String>, $value: impl Into<String>) -> Self {
            self.$($f).+.push($name, $value);
            self
        }
    };
}

pub(crate) use with_methods;
