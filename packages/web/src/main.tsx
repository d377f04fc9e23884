import { render } from "preact";
import { App } from "./app.tsx";
import "./styles.css";

// cytoscape adds a <style> element for its container unless one with this id
// exists; the CSP forbids inline styles, so styles.css carries that rule and
// this marker tells cytoscape it is already there.
const marker = document.createElement("meta");
marker.id = "__________cytoscape_stylesheet";
document.head.append(marker);

render(<App />, document.getElementById("app")!);
