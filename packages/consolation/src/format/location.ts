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
