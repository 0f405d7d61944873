// Entry of the form builder page (builder.html): a separate page, so none of it is in the caseworker
// app's bundle. The caseworker's styles come too: the preview must look exactly like the app.
import { render } from "preact";
import { Builder } from "./Builder";
import "../styles.css";
import "./builder.css";

render(<Builder />, document.getElementById("builder")!);
