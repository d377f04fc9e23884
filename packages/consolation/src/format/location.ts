/**
 * Spawn and await sites as people want to read them: paths inside cargo's
 * registry or git checkouts are shortened to `<cargo>/crate-x.y.z/...`, since
 * the long prefix is the same on every line and pushes the useful part out of
 * view.
 */
const CARGO_SOURCE = /^.*?[\\/]\.cargo[\\/](?:registry[\\/]src[\\/][^\\/]+|git[\\/]checkouts)[\\/]/;

export function shortenLocation(location: string): string {
  return location.replace(CARGO_SOURCE, "<cargo>/");
}

/**
 * What the consoles print for a location: cargo paths shortened, and paths
 * under the current directory made relative, since that is where the user
 * started the console and the prefix only pushes the line number out of view.
 */
export function displayLocation(location: string, cwd = process.cwd()): string {
  const short = shortenLocation(location);
  const prefix = cwd.endsWith("/") ? cwd : `${cwd}/`;
  if (short.startsWith(prefix)) return short.slice(prefix.length);
  const url = `file://${prefix}`;
  return short.startsWith(url) ? short.slice(url.length) : short;
}
