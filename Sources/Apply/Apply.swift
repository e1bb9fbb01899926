// The Apply module; see docs/ARCHITECTURE.md.
import Spec
