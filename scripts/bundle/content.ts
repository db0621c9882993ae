// Loading the content runs its schema checks (src/content/validate.ts): the build runs this first.
import '../../src/content/scripts';
import '../../src/content/faq';
